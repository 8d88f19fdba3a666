"""Documents in the family file: upload (type checked by content, images without their
metadata), versions, download through the gate, removal by a confirmed action."""
