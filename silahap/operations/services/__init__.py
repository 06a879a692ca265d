"""Every write of the operations app, one module per thing it handles.

Keyword-only, typed, one transaction, PermissionDenied or ValidationError when not allowed, one
audit event each, and the business event on the spine where another layer may care.
"""
