"""The family plan (gezinsplan): its views, forms, services and URLs."""
