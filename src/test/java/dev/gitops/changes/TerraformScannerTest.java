package dev.gitops.changes;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TerraformScannerTest {
    record Case(String sentence, String terraform, String backend, List<String> sources) {
        @Override
        public String toString() {
            return sentence;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("a backend block makes a stack root", """
                        terraform {
                          required_version = ">= 1.5"
                          backend "s3" {
                            bucket = "state"
                          }
                        }""", "s3", List.of()),
                new Case("a cloud block counts as a backend", """
                        terraform {
                          cloud {
                            organization = "acme"
                          }
                        }""", "cloud", List.of()),
                new Case("a terraform block without backend is not a stack root", """
                        terraform {
                          required_providers {
                            aws = { source = "hashicorp/aws", version = "~> 5.0" }
                          }
                        }""", null, List.of()),
                new Case("module sources are read, local or not", """
                        module "vpc" {
                          source = "../modules/vpc"
                          cidr   = "10.0.0.0/16"
                        }
                        module "dns" {
                          source  = "terraform-aws-modules/route53/aws"
                          version = "2.0.0"
                        }""", null, List.of("../modules/vpc", "terraform-aws-modules/route53/aws")),
                new Case("commented-out blocks are not read", """
                        # terraform { backend "s3" {} }
                        // module "a" { source = "./a" }
                        /* module "b" {
                             source = "./b"
                           } */
                        module "c" { source = "./c" }""", null, List.of("./c")),
                new Case("braces and keywords inside strings and heredocs are not blocks", """
                        locals {
                          text = "terraform { backend \\"s3\\" {} } ${var.x}"
                          policy = <<-EOT
                            module "fake" { source = "./fake" }
                            }
                          EOT
                        }
                        terraform {
                          backend "gcs" {}
                        }""", "gcs", List.of()),
                new Case("object expressions in attributes do not end or open blocks", """
                        variable "tags" {
                          default = {
                            team = "infra"
                            nested = { a = [1, 2, { b = 3 }] }
                          }
                        }
                        module "net" {
                          source = "./modules/net"
                          tags   = { for k, v in var.tags : k => v if v != "" }
                        }""", null, List.of("./modules/net")),
                new Case("a templated source is not a plain path and is ignored", """
                        module "x" {
                          source = "./modules/${var.flavour}"
                        }""", null, List.of()),
                new Case("nested blocks named module inside other blocks are not modules", """
                        resource "aws_thing" "t" {
                          module { source = "./not-a-module" }
                        }""", null, List.of()),
                new Case("an unterminated string keeps what was read before it", """
                        module "ok" { source = "./ok" }
                        locals { broken = "oops
                        }""", null, List.of("./ok")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void scan(Case c) {
        TerraformScanner.Result result = TerraformScanner.scan(c.terraform());
        assertEquals(c.backend(), result.backend());
        assertEquals(c.sources(), result.moduleSources());
    }
}
