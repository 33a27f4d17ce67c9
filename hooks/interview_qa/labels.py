"""The titles readers see on every answer part, wherever a question is shown: Q&A pages, practice cards."""

SIMPLE_LABEL = "👶 Simple"
TECHNICAL_LABEL = "👨‍💻 Technical"
MISTAKE_TITLE = "⚡ Common mistake"
MEASURED_TITLE = "🔬 Measured"
