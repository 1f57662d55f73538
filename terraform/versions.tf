terraform {
  required_version = ">= 1.5"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 6.14"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }

  # State lives in a GCS bucket given at init:
  #   terraform init -backend-config="bucket=STATE_BUCKET" -backend-config="prefix=odoo-engines"
  backend "gcs" {}
}

provider "google" {
  project        = var.project
  region         = var.region
  default_labels = var.labels
}
