"""Drawing a laid-out document into PDF bytes."""
