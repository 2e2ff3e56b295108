"""Pages for signing in, officers' data entry, uploads, sign-off, history, completeness and police.uk imports.

Views are thin: they check access (crimedata.access, using crimedata.roles),
call a selector or service, and render. One module per area; none imports another.
"""
