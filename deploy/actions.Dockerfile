# The project's action server: rasa-sdk 3.6.2 with the project's actions, reasoning engine,
# knowledge base and language layer.
#   docker build -f deploy/actions.Dockerfile -t dermatome-leg-pain-actions .
FROM rasa/rasa-sdk:3.6.2

USER root
WORKDIR /app
COPY pyproject.toml README.md ./
COPY knowledge/ knowledge/
COPY engine/ engine/
COPY language/ language/
COPY rasa_ext/ rasa_ext/
COPY actions/ actions/
COPY channels/ channels/
# No Rasa here: the actions need the SDK (in the base image) and the project's own extras.
RUN pip install --no-cache-dir --no-deps . \
 && pip install --no-cache-dir spacy==3.4.4 negspacy==1.0.4 pydantic==1.10.9 PyYAML==6.0.4

USER 1001
EXPOSE 5055
# The base image's entrypoint: `start` runs `python -m rasa_sdk` on 0.0.0.0.
CMD ["start", "--actions", "actions", "--port", "5055"]
