"""E-mails: templates, rendering, and the Celery task that sends them.

Other domains call `from app.notifications import service as notifications_service` and
`notifications_service.send_email(session, to=..., template=..., context=...)`.
"""
