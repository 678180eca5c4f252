-- recordDeliveryResults: the worker records a batch of 4 outcomes

-- statement 1 of 1, 19 parameters
with v(id, state, response, next_at) as (values ($1, $2, $3, $4::timestamptz), ($5, $6, $7, $8::timestamptz), ($9, $10, $11, $12::timestamptz), ($13, $14, $15, $16::timestamptz))
    update deliveries set
      state = v.state,
      smtp_response = v.response,
      next_attempt_at = v.next_at,
      sent_at = case when v.state = 'sent' then $17::timestamptz else deliveries.sent_at end,
      claimed_by = null,
      updated_at = $18::timestamptz
    from v
    where deliveries.id = v.id::bigint and deliveries.claimed_by = $19 and deliveries.state = 'sending';
