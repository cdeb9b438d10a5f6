-- revision: 20250103_step_2
-- down_revision: 20250102_step_1

-- migrate:upgrade
CREATE TABLE feelings (m mood NOT NULL DEFAULT 'happy');
