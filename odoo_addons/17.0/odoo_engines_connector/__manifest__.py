{
    "name": "Odoo Engines Connector",
    "summary": "Chatbot documents and links to the knowledge engine; confirmed orders to the picking app",
    "description": """
Calls the odoo-engines functions from inside Odoo:

* chatbot documents (PDF, DOCX, TXT, HTML) and links are sent to the knowledge
  engine's embed routes after the user's save, by a queued job, with a sync status,
  retries with backoff, a "Retry sync" button and a "Sync all" action;
* a confirmed or cancelled sale order asks the order poller for an immediate poll.
""",
    "version": "1.0.0",
    "category": "Productivity",
    "license": "LGPL-3",
    "author": "odoo-engines",
    "depends": ["base", "sale"],
    "data": [
        "security/groups.xml",
        "security/ir.model.access.csv",
        "data/cron.xml",
        "views/chatbot_views.xml",
        "views/forms.xml",
        "views/settings_views.xml",
        "views/menus.xml",
    ],
    "installable": True,
    "application": True,
}
