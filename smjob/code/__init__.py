"""Training code from a local folder: smjob's "Code" settings, checked, uploaded to S3 and wired
into the request the way the SageMaker Python SDK's ModelTrainer does.

- `settings`: CodeSettings (folder, entry script, requirements, ignore patterns, S3 prefix), kept
  in drafts and history as smjob metadata (`{"smjob:meta": {"code": {...}}}`), never sent to AWS.
- `bundle`: the folder's files after the ignore patterns, checked before anything is uploaded,
  and their content digest (the upload's prefix, so unchanged code is never uploaded twice).
- `complete`: the pure function from (request, settings, S3 URI) to the request that is sent.
- `upload`: the upload (skipping what the content-addressed prefix already holds), with progress.
- `staging`: the submit step that puts them together; `export`: a script that syncs, then creates.
"""

from smjob.code.settings import DEFAULT_IGNORE, CodeError, CodeSettings

__all__ = ["DEFAULT_IGNORE", "CodeError", "CodeSettings"]
