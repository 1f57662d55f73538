"""poll-tenant: one poll cycle for the tenant named by the message's `connection_id`."""

import functions_framework

from odoo_engines.core.triggers import pubsub_handler
from odoo_engines.orders.handlers import handle_poll_tenant

poll_tenant = functions_framework.cloud_event(pubsub_handler(handle_poll_tenant))
