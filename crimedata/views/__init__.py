"""Pages for officers' data entry, uploads, sign-off, history and completeness (issue 4).

Views are thin: they check access (crimedata.access, using
crimedata.roles), call a selector or service, and render.
"""
