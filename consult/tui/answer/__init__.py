"""The answering app (`consult answer`): see :func:`consult.tui.answer.app.make_answer_app`."""
