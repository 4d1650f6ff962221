"""The toolkit's web pages (thin), one module per kind of tool and what they share:

- `tools`: a project's tools, the tool page itself (rename, complete, delete), templates and PDFs;
- `canvas`: a canvas's entries (add, edit, move, delete);
- `theory_of_change`: outcomes, links, interventions and assumptions, and the diagram;
- `snapshots`: snapshots of a tool and what changed since;
- `common`: looking a tool up, rendering its board or editor, and answering a write.

Every write posts a form (works without JavaScript); with htmx the board or the editor is swapped
in place. A stale version answers 409 with a friendly message and the current content, keeping
what the person typed.
"""
