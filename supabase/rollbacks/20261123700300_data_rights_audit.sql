-- Rollback of 20261123700300_data_rights_audit.sql. Destroys the audit trail: export it first
-- (psql -c "\copy app_private.data_rights_audit to 'data_rights_audit.csv' csv header").
drop table if exists app_private.data_rights_audit;
