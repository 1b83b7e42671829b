// Entry point for `cdk synth` in this folder (see cdk.json).
import { buildPipelineApp } from './app';

buildPipelineApp();
