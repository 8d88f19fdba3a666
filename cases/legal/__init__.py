"""Legal measures per child (OTS, machtigingen, voogdij): recording and changing them."""
