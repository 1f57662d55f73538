"""Settings > Odoo Engines: where the functions are, and a connection test."""

from odoo import _, fields, models

from .engines import (
    KEY_PARAM,
    ORDERS_URL_PARAM,
    TENANT_PARAM,
    TOKEN_PARAM,
    URL_PARAM,
    EngineError,
    health,
)


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    odoo_engines_knowledge_url = fields.Char(
        string="Knowledge function URL", config_parameter=URL_PARAM,
        help="The embed-document function, e.g. https://REGION-PROJECT.cloudfunctions.net/embed-document",
    )  # fmt: skip
    odoo_engines_knowledge_key = fields.Char(string="Knowledge API key",
                                             config_parameter=KEY_PARAM)  # fmt: skip
    odoo_engines_orders_url = fields.Char(string="Orders API URL",
                                          config_parameter=ORDERS_URL_PARAM)  # fmt: skip
    odoo_engines_tenant_id = fields.Char(string="Tenant id", config_parameter=TENANT_PARAM)
    odoo_engines_tenant_token = fields.Char(string="Tenant poll token",
                                            config_parameter=TOKEN_PARAM)  # fmt: skip

    def action_odoo_engines_test_connection(self):
        """Call the knowledge function's /health and say what it answered."""
        self.ensure_one()
        url = self.odoo_engines_knowledge_url
        try:
            if not url:
                raise EngineError(_("Set the knowledge function's URL first."))
            answer = health(url)
            kind, message = "success", _("Connected: %s", answer.get("status") or "ok")
        except EngineError as exc:
            kind, message = "danger", str(exc)
        return {
            "type": "ir.actions.client", "tag": "display_notification",
            "params": {"title": _("Odoo Engines"), "message": message, "type": kind,
                       "sticky": kind == "danger"},
        }  # fmt: skip
