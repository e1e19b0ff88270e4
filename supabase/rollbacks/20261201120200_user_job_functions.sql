-- Users' metrics show deployment-wide queue figures again, and data deletion leaves their job payloads.
drop function if exists app_private.delete_user_jobs(uuid);
drop function if exists app_private.user_queue_health(uuid);
