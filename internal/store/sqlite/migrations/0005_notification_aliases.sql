-- A notification names the vulnerability by one id; aliases lists the
-- others its records give (their ids and aliases), space-separated, so
-- that a receiver can tell that "added PYSEC-2023-192" and, later,
-- "removed GHSA-v845-jxx5-vc9f" are one vulnerability.
ALTER TABLE notification_changes ADD COLUMN aliases TEXT NOT NULL DEFAULT '';
