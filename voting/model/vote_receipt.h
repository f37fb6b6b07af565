/* SPDX-License-Identifier: MIT */
/*
 * The identifiers a vote leaves behind, none of them personal: the keyed
 * voter and IP hashes stored in Redis, and the voter's receipt
 * "<stream id>.<32 hex token>" of which only SHA-256(token) is stored and
 * published. Pure (libsodium only).
 */
#ifndef JIANGXIN_VOTE_RECEIPT_H
#define JIANGXIN_VOTE_RECEIPT_H

#include <stdbool.h>
#include <stddef.h>

#define VOTE_HASH_KEY_BYTES   32
#define VOTE_VOTER_HASH_HEX   33 /* BLAKE2b-128 as hex + NUL */
#define VOTE_IP_HASH_HEX      17 /* BLAKE2b-64 as hex + NUL */
#define VOTE_TOKEN_HEX        33 /* 16 random bytes as hex + NUL */
#define VOTE_RECEIPT_HASH_HEX 65 /* SHA-256 as hex + NUL */
#define VOTE_RECEIPT_MAX      96 /* "<ms>-<seq>.<token>" + NUL, with room */

/* hex(BLAKE2b-128(key, "voter" 0x1f iss 0x1f sub)) */
void vote_voter_hash(const unsigned char key[VOTE_HASH_KEY_BYTES],
                     const char *iss,
                     const char *sub,
                     char ret[VOTE_VOTER_HASH_HEX]);
/* hex(BLAKE2b-64(key, "ip" 0x1f ip)) */
void vote_ip_hash(const unsigned char key[VOTE_HASH_KEY_BYTES],
                  const char *ip,
                  char ret[VOTE_IP_HASH_HEX]);

/* A fresh random token and its published hash. */
void vote_receipt_token(char ret_token[VOTE_TOKEN_HEX], char ret_hash[VOTE_RECEIPT_HASH_HEX]);
/* hex(SHA-256(token text)) */
void vote_receipt_hash(const char *token, char ret[VOTE_RECEIPT_HASH_HEX]);
/* "<stream id>.<token>" into ret; false when it does not fit. */
bool vote_receipt_format(const char *stream_id, const char *token, char ret[VOTE_RECEIPT_MAX]);
/* Splits a receipt; false unless it is "<digits>-<digits>.<32 lowercase hex>". */
bool vote_receipt_parse(const char *receipt,
                        char ret_stream_id[VOTE_RECEIPT_MAX],
                        char ret_token[VOTE_TOKEN_HEX]);
/* Constant-time comparison of two hex hashes of the same length. */
bool vote_hash_equal(const char *a, const char *b);

#endif
