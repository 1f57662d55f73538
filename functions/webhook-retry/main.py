"""webhook-retry: sends the retry queue's due webhooks (Cloud Scheduler, every minute)."""

import functions_framework

from odoo_engines.core.triggers import pubsub_handler
from odoo_engines.orders.handlers import handle_webhook_retry

webhook_retry = functions_framework.cloud_event(pubsub_handler(handle_webhook_retry))
