from kanalvakt.scheduling.jobs import Periodic

SCHEDULE = [
    Periodic(
        name="records_snapshots_half_yearly",
        task="kanalvakt.records.tasks.snapshots_half_yearly",
        cron="15 6 * * *",
        description=(
            "Ta ögonblicksbilder av konton som ännu saknar en för innevarande halvår "
            "(när policyn kräver det)."
        ),
    ),
    Periodic(
        name="records_checkpoint_daily",
        task="kanalvakt.records.tasks.checkpoint_daily",
        cron="20 0 * * *",
        description=(
            "Signera granskningsloggens senaste händelse och en Merkle-rot över gårdagens "
            "handlingar (kontrollpunkt) och publicera den i det offentliga registret."
        ),
    ),
]
