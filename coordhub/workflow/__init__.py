"""The rules: who may move a claim or rebuttal from which state to which, and what each move
writes. GraphQL and the CLI call this package; it knows nothing of GraphQL.

Every public function takes the acting ``Actor`` (``None`` for a public caller), runs in one
transaction, writes its events in that transaction, and raises ``WorkflowError`` before
anything is committed when the call is not allowed.
"""
