from kanalvakt.scheduling.jobs import Periodic

SCHEDULE = [
    Periodic(
        name="policies_reminders",
        task="kanalvakt.policies.tasks.policy_reminders",
        cron="0 7 * * mon,tue,wed,thu,fri",
        description=(
            "Påminn policyns ägare före granskningsdatum och medarbetare som inte kvitterat "
            "policyn (när policyn kräver kvittens)."
        ),
    ),
]
