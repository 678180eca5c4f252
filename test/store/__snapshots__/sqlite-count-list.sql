-- countAffectedSet: the affected set of a case with a list

-- statement 1 of 1, 1 parameter
select count(*) as "total", count("customers"."id") filter(where "customers"."email" is null) as "without_email"
from "customers"
left join "case_affected" on "case_affected"."customer_id" = "customers"."id" and "case_affected"."case_id" = ?
where "case_affected"."customer_id" is not null;
