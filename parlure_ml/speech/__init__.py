"""Speech recognition: audio checks and Whisper base transcription (faster-whisper, CPU).

Importing this package loads nothing heavy: the model is read on first use, in the process that
uses it (see `get_transcriber`).
"""
