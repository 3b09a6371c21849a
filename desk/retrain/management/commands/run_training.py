"""`manage.py run_training <id> [--put-live]`: the detached worker of one retraining (desk/retrain/worker.py)."""

from django.core.management.base import BaseCommand

from desk.retrain.worker import run_training


class Command(BaseCommand):
    help = "Train, measure and put live (or hold) the model of one retraining run."

    def add_arguments(self, parser) -> None:
        parser.add_argument("run_id", type=int)
        parser.add_argument("--put-live", action="store_true", help="only put the held candidate live (override)")

    def handle(self, *args, run_id: int, put_live: bool, **options) -> None:
        run = run_training(run_id, put_live_only=put_live)
        self.stdout.write(f"run {run.pk}: {run.state}")
