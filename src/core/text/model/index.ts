/**
 * RankPlay's BERT cross-encoder in tfjs ops, in Hugging Face's layout: config.json, safetensors
 * weights with BertForSequenceClassification's names, WordPiece tokenizer files, ONNX export.
 */
export { bertLogits, bertPooled, bertSequenceOutput, embeddingLookup, gelu, MASKED_SCORE, scoreBatch, type BertDropout, type BertForwardOptions, type PairBatch } from './bert';
export { bertConfigFromJson, bertConfigToJson, checkBertConfig, DEMO_CONFIG, type BertConfig } from './config';
export { encodePair, encodePairs, loadTokenizer, padPairs, type EncodedPair } from './encode';
export { applyMatchingInit, type MatchingInitOptions } from './init-matching';
export { exportBertOnnx, ONNX_OPSET, type OnnxExportOptions } from './onnx-export';
export { bertParamSpecs, checkBertWeights, countParams, initBertWeights, paramsToWeights, sizeOf, weightsToParams, type BertParams, type BertWeights, type ParamSpec, type WeightData } from './params';
export { scorePairs, type TextPair } from './rerank';
export { readSafetensors, writeSafetensors, type SafetensorsDtype, type SafetensorsFile } from './safetensors';
export { commonWords, pseudoQuery, sampleList, trainCrossEncoder, type CrossEncoderTrainOptions, type JudgedQuery, type TrainData, type TrainStep } from './train';
export { basicTokens, CONTINUATION, SPECIAL_TOKENS, tokenizerConfigJson, tokenizerJson, trainWordPiece, vocabTxt, type WordPieceOptions } from './wordpiece';
