"""One router per resource: auth, queue, cases, audit, dpo, admin, runs; ``api`` mirrors them as JSON."""
