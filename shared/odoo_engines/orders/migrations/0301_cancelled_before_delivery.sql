-- An order cancelled in Odoo before its confirmation was delivered: the confirmation is
-- never sent, not even by an operator's forced retry. Earlier cancellations were recorded
-- only as the retry item's discard reason; they are carried over.
ALTER TABLE sent_orders ADD COLUMN cancelled_at timestamptz;

UPDATE sent_orders s SET cancelled_at = r.updated_at
FROM retry_queue r
WHERE r.connection_id = s.connection_id AND r.odoo_order_id = s.odoo_order_id
    AND r.event = s.event AND r.status = 'DISCARDED'
    AND r.last_error = 'order cancelled in Odoo before it was delivered';
