"""Local stand-ins for what cannot run here: Odoo, OpenAI, the picking app, the scheduler.

Never needed in production; the real clients are used whenever their settings are given.
"""
