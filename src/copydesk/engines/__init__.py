"""The runners of the stage plan (:mod:`copydesk.plan`): the local engine (a process pool
over spills on disk) and the Spark engine.  The persistent index (:mod:`copydesk.store`)
runs the later stages through the local engine over its own store of prepared articles."""
