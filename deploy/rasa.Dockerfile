# The project's Rasa image: Rasa 3.6.21 with this project installed and its model inside.
# One Rasa replica per container (`tools/cluster.py replica`, the same launcher as
# `make run` / `make cluster`); also the web page (`tools/cluster.py web`).
# Build from the repository root after `make model` and `make web-assets`:
#   docker build -f deploy/rasa.Dockerfile -t dermatome-leg-pain-rasa .
FROM rasa/rasa:3.6.21-full

USER root
WORKDIR /app
COPY pyproject.toml README.md ./
COPY knowledge/ knowledge/
COPY engine/ engine/
COPY language/ language/
COPY rasa_ext/ rasa_ext/
COPY actions/ actions/
COPY channels/ channels/
# Rasa itself is in the base image: only the project and its own pinned extras.
RUN pip install --no-cache-dir --no-deps . \
 && pip install --no-cache-dir spacy==3.4.4 negspacy==1.0.4
COPY config.yml credentials.yml endpoints.yml ./
COPY domain/ domain/
COPY data/ data/
COPY tools/ tools/
COPY web/ web/
COPY models/ models/
RUN mkdir -p .state && chown -R 1001 .state

USER 1001
ENV RASA_TELEMETRY_ENABLED=false RASA_PORT=5005 WEB_PORT=8000
EXPOSE 5005 8000
ENTRYPOINT ["python", "tools/cluster.py"]
CMD ["replica"]
