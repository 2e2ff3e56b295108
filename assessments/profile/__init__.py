"""The district profile: its page (page.py), its sections (sections.py) and its top neighbourhoods (neighbourhoods.py)."""
