-- freezeAffectedSet: the freeze of the recipient set of a case with a filter

-- statement 1 of 1, 3 parameters
insert into "case_recipients" ("case_id", "customer_id", "external_id", "email", "name", "language", "street", "postal_code", "city", "country", "attributes", "impact")
select 2 as "case_id", "customers"."id", "customers"."external_id", "customers"."email", "customers"."name", "customers"."language", "customers"."street", "customers"."postal_code", "customers"."city", "customers"."country", "customers"."attributes", coalesce("case_affected"."impact", '{}') as "impact"
from "customers"
left join "case_affected" on "case_affected"."customer_id" = "customers"."id" and "case_affected"."case_id" = ?
where ("case_affected"."customer_id" is not null or (json_extract(customers.attributes, ?) = ?))
order by "customers"."id";
