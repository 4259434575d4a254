"""Pages of evaluation: members' scorecards, assessments and the reward/penalty list."""
