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
]
