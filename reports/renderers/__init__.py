"""How each report kind is made. A renderer is one function `render(ctx: RenderContext)` that
writes the report to `ctx.path` and reports progress through `ctx.progress(done, total)`."""
