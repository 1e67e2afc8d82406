"""What the two SQL backends share: the read models' tables and statements."""
