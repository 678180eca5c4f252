-- recordDeliveryResults: the worker records a batch of 4 outcomes

-- statement 1 of 1, 19 parameters
with v(id, state, response, next_at) as (values (?, ?, ?, ?), (?, ?, ?, ?), (?, ?, ?, ?), (?, ?, ?, ?))
    update deliveries set
      state = v.state,
      smtp_response = v.response,
      next_attempt_at = v.next_at,
      sent_at = case when v.state = 'sent' then ? else deliveries.sent_at end,
      claimed_by = null,
      updated_at = ?
    from v
    where deliveries.id = v.id and deliveries.claimed_by = ? and deliveries.state = 'sending';
