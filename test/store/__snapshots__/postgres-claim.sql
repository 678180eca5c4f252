-- claimDeliveries: the dispatch worker claims a batch of 4

-- statement 1 of 2, 7 parameters
update deliveries
       set state = 'sending', claimed_by = $1, claimed_at = $2,
           attempts = attempts + 1, updated_at = $3
     where id in (select id from deliveries
     where dispatch_id = $4
       and ((state = 'queued') or (state = 'deferred' and next_attempt_at <= $5))
       and exists (select 1 from dispatches
                    where id = $6 and state = 'running' for share)
     limit $7 for update skip locked)
     returning id;

-- statement 2 of 2, 4 parameters
select d.id, d.dispatch_id, d.recipient_id, d.email, d.attempts,
         d.message_id, r.external_id, r.name, r.language, r.street, r.postal_code, r.city,
         r.country, r.attributes, r.impact
    from deliveries d join case_recipients r on r.id = d.recipient_id
   where d.id in ($1, $2, $3, $4)
   order by d.id;
