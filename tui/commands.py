"""Every action in the command palette, plus one "Go to section" command per section."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

ACTIONS = (
    ("Submit…", "submit", "CreateTrainingJob, after a confirmation"),
    ("History", "history", "Every submission and export: view, diff, clone, resubmit"),
    ("Jobs in the account", "jobs", "F7: ListTrainingJobs with filters; open, clone, stop; smjob's marked"),
    ("Clone a job from AWS…", "jobs", "F7, the jobs list: c clones the highlighted job into the editor"),
    ("Export…", "export", "Write JSON, YAML, a CLI script or Python to a file"),
    ("Copy as JSON", "copy('json')", "For --cli-input-json"),
    ("Copy as YAML", "copy('yaml')", "For --cli-input-yaml"),
    ("Copy as AWS CLI command", "copy('cli')", "aws sagemaker create-training-job ..."),
    ("Copy as Python (boto3)", "copy('python')", "create_training_job(**request)"),
    ("Open file…", "open_file", "Load a JSON or YAML request"),
    ("Paste request…", "paste_request", "Paste JSON or YAML"),
    ("Open draft…", "open_draft", "The autosaved drafts, one per job (ctrl+l)"),
    ("New job", "new_job", "The skeleton with your defaults (smjob defaults, the SDK's config.yaml)"),
    ("Toggle preview", "screen.toggle_preview", "JSON / YAML / CLI / Python"),
    ("Next preview format", "screen.cycle_preview", ""),
    ("Wrap preview lines", "screen.preview_key('toggle_wrap')", "w in the preview: long lines wrap or are cut"),
    ("Preview wider", "screen.preview_key('resize(1)')", "alt+left, or ] in the preview"),
    ("Preview narrower", "screen.preview_key('resize(-1)')", "alt+right, or [ in the preview"),
    ("Toggle problems panel", "screen.toggle_problems", ""),
    ("Go to problems", "screen.focus_problems", "Enter on a problem jumps to its field"),
    ("Ignore rule of the selected problem", "ignore_selected_rule", "i in the problems list: for this job only"),
    ("Rule overrides…", "rule_overrides", "The rules this job ignores; stop ignoring one"),
    ("Next section", "screen.next_section", ""),
    ("Previous section", "screen.previous_section", ""),
    ("Field help", "field_help", "Documentation of the focused field"),
    ("Toggle dark/light theme", "toggle_theme", ""),
    ("Quit", "quit_app", ""),
)


class SmjobCommands(Provider):
    def _commands(self):
        app = self.app
        for title, action, help_text in ACTIONS:
            yield title, partial(app.run_action, action), help_text
        from smjob.widgets.pickers import pick_on_focused, save_focused_as_default

        yield "Pick…", partial(pick_on_focused, app), "F4: choose the focused field's value from the account"
        yield "Save as my default", partial(save_focused_as_default, app), "The focused field's value, for new jobs"
        yield "Change AWS target…", partial(app.run_action, "change_target"), "Profile, region and endpoint for lookups"
        screen = app.editor
        if screen is not None:
            # The editor's own actions, whichever screen the palette was opened from.
            yield "Undo", partial(app.run_action, "undo", screen), "ctrl+z: the last edit, paste or load"
            yield "Redo", partial(app.run_action, "redo", screen), "ctrl+y: what was just undone"
            for section in screen.all_sections:
                yield f"Go to section: {section.label}", partial(app.run_action, f"go_to_section({section.key!r})"), ""

    async def discover(self) -> Hits:
        for title, callback, help_text in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, callback, help_text in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
