-- Issue 9: a VM's nonsharable resources are stored as a JSON array (["disk,llc"] stays one name;
-- comma-joined values written before this version are still read). Up to 64 names of 255 characters.
-- SET DATA TYPE is the standard spelling that H2 and PostgreSQL both accept.
ALTER TABLE cluster_vm ALTER COLUMN nonsharable SET DATA TYPE VARCHAR(20000);
