from . import extract, engines, sync, chatbot, sale_order, settings
