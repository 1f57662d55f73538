"""Confirmed and cancelled orders ask the order poller for an immediate poll.

After the commit, so the poller reads the confirmed order; a failure is logged and
never blocks the confirmation: the scheduled poll stays the guarantee.
"""

from odoo import models

from .engines import after_commit, push_poll, request_poll


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _odoo_engines_push(self):
        target = request_poll(self.env)
        if target:
            after_commit(self.env, push_poll, target)

    def action_confirm(self):
        result = super().action_confirm()
        self._odoo_engines_push()
        return result

    def _action_cancel(self):
        result = super()._action_cancel()
        self._odoo_engines_push()
        return result
