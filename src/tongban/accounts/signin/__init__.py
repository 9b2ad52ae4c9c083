"""Sign-in: django-allauth wired to Tongban (phone login, staff MFA, OIDC providers such as iAM Smart).

A small Django app of its own (label ``signin``), listed before allauth so that its templates
theme allauth's pages with the site's layout.
"""
