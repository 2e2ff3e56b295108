"""Views of the assessments app, one module per capability."""
