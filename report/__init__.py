"""The one-page summary a patient takes to the doctor: its content (from the assessment and the
slots), a PDF (ReportLab) and a print-friendly HTML page, signed expiring links, and the Rasa
channel that serves them (report.channel.ReportInput, in credentials.yml)."""
