-- Rollback of 20261123200100_job_queues.sql: deletes the queues and their jobs (sources before their dead letters).
do $$
declare
  queue_name text;
begin
  if to_regnamespace('pgboss') is null then
    return;
  end if;
  for queue_name in
    select q.name from pgboss.queue q
    where q.name like 'ai.%'
    order by (q.dead_letter is null), q.name
  loop
    perform pgboss.delete_queue(queue_name);
  end loop;
end
$$;
