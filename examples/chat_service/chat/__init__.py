"""Chat service: WebSocket endpoints, token authentication and message fan-out."""
