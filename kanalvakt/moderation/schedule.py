from kanalvakt.scheduling.jobs import Periodic

SCHEDULE = [
    Periodic(
        name="moderation_sweep",
        task="kanalvakt.moderation.tasks.moderation_sweep",
        cron="*/5 * * * *",
        description="Påminn före och eskalera efter modereringens tidsgräns.",
    ),
    Periodic(
        name="scoring_model_retrain",
        task="kanalvakt.moderation.tasks.scoring_model_retrain",
        cron="30 2 * * sun",
        description="Träna om den inlärda granskningen från modererarnas beslut.",
    ),
]
