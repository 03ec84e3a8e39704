# The segmentation service sample (CPU). Build from the repository root:
#   docker build -f docker/service.Dockerfile -t adgan-service .
# Run with a model mounted read-only:
#   docker run --rm -p 8080:8080 -v "$PWD/model.zip:/models/model.zip:ro" adgan-service
# then POST an image to http://localhost:8080/segment (GET /health answers when the model is loaded).
# Without libtorch (ONNX Runtime only, a fraction of the size): --build-arg TORCH_BACKEND=none, then run with
#   --runtime onnx --model /models/model.onnx (arguments after the image name override the defaults below).
# On `docker stop` the service drains for --drain seconds (default 10) and stops within 5 s more: give it
# `docker stop -t 20` (Kubernetes: terminationGracePeriodSeconds: 20).
# CUDA: see docs/scale-out.md.
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0-noble
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0-noble

FROM ${SDK_IMAGE} AS build
ARG TORCH_BACKEND=cpu
WORKDIR /src
COPY . .
RUN dotnet publish samples/AdGan.Service/AdGan.Service.csproj -c Release -r linux-x64 --no-self-contained -o /app \
      -p:TorchSharpBackend=${TORCH_BACKEND} -p:AdGanPatchLibTorchSharpAlways=true

FROM ${RUNTIME_IMAGE}
WORKDIR /app
COPY --from=build /app .
USER $APP_UID
EXPOSE 8080
ENTRYPOINT ["dotnet", "/app/AdGan.Service.dll", "--model", "/models/model.zip", "--urls", "http://0.0.0.0:8080"]
